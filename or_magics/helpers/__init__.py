"""The one-line helpers on the session's client: `ask` (ask.py), `batch` and
`batch_frame` (batch.py), `compare` (compare.py), `Conversation` (conversation.py), `embed`
(embed.py), and `LiveAnswer` (live.py), which streams one answer into a display (a cell,
the panel's prompt box). The package root re-exports the helpers; this package exports nothing, so
no module here is shadowed by a function of the same name.
"""
