"""A fake SMS gateway: a real HTTP server for demos and tests. It plays the phones, so it
keeps the message text; it can be told to fail, time out or slow down, and posts delivery
reports back to notify."""
