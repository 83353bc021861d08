"""TransferDesk's intake side: sources, extraction, chunking, embedding, storage and search.

Nothing here knows about Discord or how answers are worded; `bot/` builds on this package.
"""
