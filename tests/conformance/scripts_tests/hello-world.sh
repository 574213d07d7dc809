#!/bin/sh
# µTask's test script: a line of text, then the JSON output on the last line.
echo "Hello world script"
printf '{"dumb_string":"Hello %s!","random_object":{"foo":"bar"}}\n' "$1"
