"""A small support agent as a LangGraph StateGraph: classify a ticket, then answer or escalate."""

from typing import TypedDict

from langgraph.graph import END, START, StateGraph


class Ticket(TypedDict, total=False):
    text: str
    category: str
    reply: str


def classify(state: Ticket) -> Ticket:
    category = "billing" if "invoice" in state["text"].lower() else "general"
    return {"category": category}


def answer(state: Ticket) -> Ticket:
    return {"reply": f"Thanks! Our {state['category']} FAQ covers this."}


async def escalate(state: Ticket) -> Ticket:  # async nodes are awaited
    return {"reply": "A billing specialist will contact you today."}


def route(state: Ticket) -> str:
    return "human" if state["category"] == "billing" else "bot"


def build_graph() -> StateGraph:
    graph = StateGraph(Ticket)
    graph.add_node("classify", classify)
    graph.add_node("answer", answer)
    graph.add_node("escalate", escalate)
    graph.add_edge(START, "classify")
    graph.add_conditional_edges("classify", route, {"bot": "answer", "human": "escalate"})
    graph.add_edge("answer", END)
    graph.add_edge("escalate", END)
    return graph
