"""`make bench`: measured speed of the services against a floor, on the real servers."""
