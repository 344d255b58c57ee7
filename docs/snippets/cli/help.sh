sequrity --version
sequrity --help            # the commands
sequrity batch --help      # each command: its options, examples and exit statuses
