"""What ops see from the outside: Prometheus metrics (:mod:`.metrics`), JSON logs with the
call and trace id and PII redaction (:mod:`.logs`), liveness/readiness and ``/metrics`` over
HTTP (:mod:`.health`, :mod:`.http`). Shared by every service, like the rest of ``contracts``."""
