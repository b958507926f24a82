"""The outside world: real hand histories (PHH) and a second engine (PokerKit) as oracle."""
