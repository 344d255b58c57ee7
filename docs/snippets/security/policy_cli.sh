sequrity policy check policy.sqrt          # syntax errors as FILE:LINE:COLUMN, with a caret
sequrity policy fmt --check policy.sqrt    # exit status 1 if the file is not canonically formatted

# Would this call be allowed? Exit status 0: allowed, 1: denied.
sequrity policy eval policy.sqrt --call call.json || echo "exit status $?"
