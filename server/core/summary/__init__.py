"""Summary and key facts: sentence salience, the summary, facts and their figures."""
