#!/usr/bin/env python3
"""µTask's test script: print every environment variable received, as one line of JSON."""
import json
import os

print(json.dumps(dict(os.environ)))
