"""`catalogue build`: the outputs' steps in order, and the atomic publication of their result.

Owns: what a step is written against (`context`: BuildContext, the typed BuildState, Step,
BuildError), the ordered steps and the run (`pipeline`, the only module that imports the
outputs), the swap, the signals and the record of the last build (`publish`), the one-line
explanation of disk and database errors (`explain`), and the last gate before publishing, the
check for personal data in every output (`leakcheck`).
May import: every layer below it. The outputs import `build.context` only.
"""
