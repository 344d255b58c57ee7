from sequrity.control import parse_result, session_id_from_tool_call_id

success = parse_result(
    '{"status": "success", "final_return_value": {"value": 97,'
    ' "meta": {"producers": [], "consumers": ["*"], "tags": []}}}'
)
print(success.status, success.value, success.final_return_value.meta.consumers)

denied = parse_result(
    '{"status": "failure", "error": {"code": "PolicyViolation",'
    ' "message": "Tool call to \'send_email\' is denied by argument checking policies."}}'
)
print(denied.is_denied, denied.error.message)

# Anything else parses to status "unknown", keeping the text and saying what was wrong.
odd = parse_result("It is sunny.")
print(odd.status, repr(odd.raw))

# Dual-LLM tool-call ids carry their session: tc-<session>-<call>.
call_id = "tc-9653dc47-fb18-11f0-b0ee-7d965b6bbd63-9aa3fb07-fb18-11f0-b66c-7d965b6bbd63"
print(session_id_from_tool_call_id(call_id))  # 9653dc47-fb18-11f0-b0ee-7d965b6bbd63
