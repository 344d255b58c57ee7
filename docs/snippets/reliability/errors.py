# The emulator can answer with an error status on purpose:
#   sequrity emulator --script errors.script.json

from sequrity import (
    NotFoundError,
    SequrityAPIError,
    SequrityClient,
    SequrityConnectionError,
    SequrityError,
    SequrityValidationError,
)

with SequrityClient() as client:
    try:
        client.control.chat.create([{"role": "user", "content": "Hi"}], model="")
    except SequrityValidationError as error:  # refused before anything was sent
        print("invalid:", error)

    try:
        client.control.chat.create([{"role": "user", "content": "Hi"}], "no-such-model")
    except NotFoundError as error:  # one class per status; all are SequrityAPIError
        print(error.status_code, error.message, error.request_id is not None)
    except SequrityAPIError as error:  # any other error status
        print("HTTP", error.status_code, error.message)
    except SequrityConnectionError as error:  # no usable answer (timeouts included)
        print("connection:", error)
    except SequrityError as error:  # everything else this package raises
        print("other:", error)
