"""What Barbara says, as text: her fixed lines (``lines``), numbers, dates and times in words
(``numbers``, ``compose``), sentences cut from a stream (``chunker``), and the check of every
sentence the LLM wrote before it is spoken (``guard``)."""
