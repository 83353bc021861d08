"""The Discord adapter: slash commands, mentions and admin controls over `bot.commands.Engine`."""
