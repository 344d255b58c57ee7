sequrity batch requests.jsonl --out results.jsonl --concurrency 16 --quiet
wc -l < results.jsonl                                   # 3: one line per request

# Running the same command again resumes: requests with a line in results.jsonl are skipped.
sequrity batch requests.jsonl --out results.jsonl --quiet

# Send the requests whose line is an error again (their error lines are replaced).
sequrity batch requests.jsonl --out results.jsonl --retry-failed --quiet
