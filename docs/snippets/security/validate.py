from sequrity import SequrityClient
from sequrity.control import FeaturesHeader, validate_header

# Offline: the same checks the client applies before sending.
verdict = validate_header("x_features", '{"agent_arch": "triple-llm"}')
print(verdict.valid)  # False
print(verdict.errors[0])

# Online: ask the server about header objects or raw header strings.
with SequrityClient() as client:
    report = client.control.validate_headers(
        features=FeaturesHeader.dual_llm(),
        security_policy='{"mode": "standard", "codes": {"code": "tool \\"x\\" { hard deny always; }"}}',
    )
    print(report.is_valid)  # True
    print(report.x_policy.normalized if report.x_policy else None)
