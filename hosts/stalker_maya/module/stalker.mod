+ stalker 0.1 .
PYTHONPATH +:= ../..
