from pathlib import Path

from sequrity.control import SecurityPolicyHeader
from sequrity.sqrt import Meta, MetaSet, SqrtParseError, ToolCall, Value, evaluate_call

source = Path("policy.sqrt").read_text()

# Refuse a broken policy before anything is sent (the server stays the authority).
header = SecurityPolicyHeader.dual_llm(codes=source).check_code()

try:
    SecurityPolicyHeader.dual_llm(codes='tool "x" { hard deny when a.value = 1; }').check_code()
except SqrtParseError as error:
    print(error)  # Expected 'in' or '==', found '=' at line 1, column 35 ...

# Evaluate a tool call against the policy, as the server would.
secret = Meta(tags=MetaSet.of({"confidential"}))
call = ToolCall(
    "send_email",
    {"to": Value("eve@evil.test"), "body": Value("The Q3 plan", secret)},
)
decision = evaluate_call(source, call)
print(decision.allowed, decision.enforcement)  # False hard
print(decision.reason)
