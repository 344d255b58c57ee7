from sequrity import Progress, SequrityClient


def show(progress: Progress) -> None:
    if progress.done == progress.total:
        print(f"{progress.succeeded} succeeded, {progress.failed} failed")


with SequrityClient() as client:
    outcomes = client.control.responses.create_many(
        [{"model": "gpt-5-mini", "input": f"Name a colour starting with {c}"} for c in "RGB"],
        concurrency=3,
        requests_per_minute=600,  # attempts per sliding minute, retries included
        progress=show,  # or True: a progress bar on standard error
    )
    print([o.unwrap().output_text for o in outcomes])  # unwrap() raises a failure's error
