"""One small async function per tool: ``handler(request, deps) -> result``; a refusal is a
raised :class:`~services.tools.errors.ToolFailure`. The table at the bottom of ``table.py``
maps every tool to its handler."""
