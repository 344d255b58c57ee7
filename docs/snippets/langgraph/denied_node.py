from support_graph import build_graph

from sequrity import SequrityClient
from sequrity.control import SecurityPolicyHeader
from sequrity.control.resources.langgraph import LangGraphPolicyDeniedError

# Each node is a tool of the program the server runs: policies name nodes like tools.
POLICY = SecurityPolicyHeader.dual_llm(codes='tool "escalate" { hard deny always; }')

with SequrityClient() as client:
    try:
        client.control.langgraph.run(
            build_graph(),
            {"text": "My invoice is wrong."},
            "openai/gpt-5-mini",
            security_policy=POLICY,
        )
    except LangGraphPolicyDeniedError as denied:
        print("denied at", denied.node)  # escalate
        print("state so far:", denied.state)
