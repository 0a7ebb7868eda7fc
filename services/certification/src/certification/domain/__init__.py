"""Pure rules of the certification workflow: no I/O, time and ids passed in."""
