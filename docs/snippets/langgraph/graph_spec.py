from sequrity import SequrityClient
from sequrity.control.resources.langgraph import END, START, BranchSpec, GraphSpec


def classify(state: dict) -> dict:
    return {"category": "billing" if "invoice" in state["text"] else "general"}


def answer(state: dict) -> dict:
    return {"reply": f"See the {state['category']} FAQ."}


def route(state: dict) -> str:  # routers are tools too: use named functions
    return "faq" if state["category"] == "general" else "end"


# The same kind of graph without LangGraph installed: nodes, edges and branches.
graph = GraphSpec(
    nodes={"classify": classify, "answer": answer},
    edges=[(START, "classify"), ("answer", END)],
    branches=[
        BranchSpec(
            source="classify",
            router=route,
            path_map={"faq": "answer", "end": END},
        )
    ],
)

with SequrityClient() as client:
    state = client.control.langgraph.run(graph, {"text": "How do I log in?"}, "openai/gpt-5-mini")
    print(state)  # {'text': 'How do I log in?', 'category': 'general', 'reply': 'See the ...'}
