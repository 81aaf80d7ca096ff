"""The data-plane controller: an asyncio HTTP service agents register with and poll."""
