"""Direct quotes and who said them: quote marks, the name model, cues, coreference, speakers."""
