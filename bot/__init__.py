"""TransferDesk's answering side: cited answers, the CLI, the terminal chat and the Discord bot."""
