from sequrity.control import FeaturesHeader, FineGrainedConfigHeader, SecurityPolicyHeader

# X-Features: the architecture, plus classifiers and blockers.
features = FeaturesHeader.dual_llm(pii_redaction=True, url_blocker=True)

# X-Policy: SQRT code, the policy mode and the presets.
policy = SecurityPolicyHeader.dual_llm(
    codes='tool "delete_file" { hard deny always; }',
    mode="strict",
)

# X-Config: how the server runs the session.
config = FineGrainedConfigHeader.dual_llm(max_n_turns=5, include_program=True)

for header in (features, policy, config):
    print(f"{header.header_name}: {header.header_value()}")
