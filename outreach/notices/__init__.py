"""Enrollment notices (参保告知书): what they say and their PDF (render), batches generated in the
background (batches), and the pages that ask for them (views, urls)."""
