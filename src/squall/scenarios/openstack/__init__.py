"""OpenStack scenarios, one scenario group per module (Rally's names and arguments)."""
