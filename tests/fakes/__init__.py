"Test harness: the demo database, configuration, web users with sessions."
