"""What every layer may read: the one settings object, document kinds and the machine a
run happens on. It imports nothing of the project."""
