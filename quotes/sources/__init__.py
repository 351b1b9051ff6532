"""Reading inputs: files, directories, stdin and JSONL (reader), saved web pages (html)."""
