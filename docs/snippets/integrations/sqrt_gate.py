from typing import Annotated, Any, TypedDict

from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages

from sequrity.integrations.sqrt_gate import SqrtToolGate


@tool
def delete_file(path: str) -> str:
    """Delete a file."""
    return f"deleted {path}"


class State(TypedDict):
    messages: Annotated[list[Any], add_messages]


gate = SqrtToolGate('tool "delete_file" { hard deny when path.value in {str like w"/etc/*"}; }')

graph = StateGraph(State)
graph.add_node("tools", gate.tool_node([delete_file]))  # a ToolNode that checks each call first
graph.add_edge(START, "tools")
graph.add_edge("tools", END)

# What a model would ask for: two calls, one of them outside the policy.
request = AIMessage(
    "",
    tool_calls=[
        {"name": "delete_file", "args": {"path": "/tmp/scratch.txt"}, "id": "call-1"},
        {"name": "delete_file", "args": {"path": "/etc/passwd"}, "id": "call-2"},
    ],
)
state = graph.compile().invoke({"messages": [request]})
for message in state["messages"][1:]:
    print(message.tool_call_id, message.status, message.content)
