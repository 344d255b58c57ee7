"""``sequrity chat``: send one prompt and print the answer (in Dual-LLM mode, the result's value)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, TextIO

from ._cli_target import add_target_arguments, client_target

__all__ = ["DEFAULT_MODEL", "add_chat_command"]

DEFAULT_MODEL = "openai/gpt-5-mini"

_DESCRIPTION = """\
Send one prompt through the Control API and print the answer.

In Dual-LLM mode (--dual-llm) the answer is a result envelope: the command prints its value,
or, when a policy denied the run, the reason on standard error; --json prints the envelope.
Without an API key (--api-key or SEQURITY_API_KEY) and without a base URL it talks to an
embedded local emulator and says so.
"""

_EPILOG = """\
examples:
  sequrity chat "What is the largest prime number below 100?"
  sequrity chat --stream --provider openrouter "Write a haiku about Paris"
  sequrity chat --dual-llm --json "What is 6 + 7?"
  sequrity chat --base-url http://127.0.0.1:8765 --api-key sq-test "hello"

exit status: 0 answered, 1 the Dual-LLM run failed (a policy denial), 2 an error (usage, network,
HTTP status, configuration).
"""


def add_chat_command(sub: argparse._SubParsersAction[Any]) -> None:
    """Register ``sequrity chat``."""
    chat = sub.add_parser(
        "chat",
        help="send one chat completion and print the answer",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    chat.add_argument("prompt", help="the user message")
    chat.add_argument(
        "--model", default=DEFAULT_MODEL, help=f"model name (default {DEFAULT_MODEL})"
    )
    chat.add_argument("--stream", action="store_true", help="print the answer as it streams")
    chat.add_argument(
        "--provider", default=None, metavar="NAME", help="openai, openrouter, sequrity_azure, ..."
    )
    chat.add_argument(
        "--endpoint-type", default="chat", metavar="TYPE", help="chat, code, agent or lang-graph"
    )
    chat.add_argument("--dual-llm", action="store_true", help="run in Dual-LLM mode")
    chat.add_argument(
        "--json", action="store_true", help="with --dual-llm: print the raw result envelope"
    )
    add_target_arguments(chat)
    chat.add_argument(
        "--llm-api-key", default=None, metavar="KEY", help="provider key sent as X-Api-Key"
    )
    chat.add_argument("--show-session", action="store_true", help="print the session id")
    chat.set_defaults(func=_cmd_chat)


def _print_result(content: str, out: TextIO, err: TextIO) -> int:
    """Print a Dual-LLM envelope's value (or its failure reason); return the exit status."""
    from .control import parse_result

    result = parse_result(content)
    if result.status == "success":
        value = result.value
        print(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False), file=out)
        return 0
    if result.status == "failure":
        error = result.error
        reason = f"({error.code}): {error.message}" if error is not None else ": no reason given"
        print(f"sequrity: denied {reason}", file=err)
        return 1
    print(content, file=out)
    print(
        f"sequrity: warning: the answer is not a result envelope ({result.parse_error})", file=err
    )
    return 0


def _cmd_chat(args: argparse.Namespace) -> int:
    from . import SequrityClient
    from .control import ControlConfig, FeaturesHeader

    out, err = sys.stdout, sys.stderr
    features = FeaturesHeader.dual_llm() if args.dual_llm else None
    # A Dual-LLM answer is an envelope: it is printed once complete, not as it streams.
    live = args.stream and not args.dual_llm
    with client_target(args, err, chat_only=True) as (base_url, key):
        config = ControlConfig(
            provider=args.provider,
            endpoint_type=args.endpoint_type,
            llm_api_key=args.llm_api_key or os.environ.get("SEQURITY_LLM_API_KEY") or None,
            features=features,
        )
        with SequrityClient(
            key,
            base_url=base_url,
            control=config,
            allow_insecure_http=args.allow_insecure_http,
        ) as client:
            messages = [{"role": "user", "content": args.prompt}]
            if args.stream:
                parts: list[str] = []
                with client.control.chat.create(messages, args.model, stream=True) as stream:
                    for chunk in stream:
                        for choice in chunk.choices:
                            if choice.delta.content:
                                parts.append(choice.delta.content)
                                if live:
                                    out.write(choice.delta.content)
                                    out.flush()
                content = "".join(parts)
                session = stream.session_id
            else:
                response = client.control.chat.create(messages, args.model)
                content = response.content or ""
                session = response.session_id
    if args.show_session and session:
        print(f"session: {session}", file=err)
    if live:
        out.write("\n")
        return 0
    if args.dual_llm and not args.json:
        return _print_result(content, out, err)
    print(content, file=out)
    return 0
