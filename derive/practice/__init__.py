"""Practice mode: ``derive practice`` serves the derivations as exercises on a local web server.

Pipeline: lines (a student's LaTeX -> the claim of a step) -> judge (the engine on that claim, the
gallery's mistakes) -> answers (the verdict as an HTML fragment) -> pool (worker processes: bounded,
cancellable) -> app (Starlette routes) -> server (uvicorn on the loopback interface).
"""
