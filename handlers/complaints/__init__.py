"""Photo complaints (随手拍): intake in chat, photos, lifecycle, deadlines, figures.

Pure domain code: no Flask.  Importing the package registers the chat handlers.
"""
from handlers.complaints import chat_intake, followup  # noqa: F401  (register handlers)
