"""Training together: pairing, sharing, partner views, directives, check-ins, stop and talk,
the agreement, the conversation, comments and the audit log.

One function per thing a person does. Each takes the `App`, the acting person's id and
the ids named in the request; each write is one transaction that appends its audit event
in the same transaction. Authorisation lives here: a stranger (and a partner after the
pairing ended) gets NotFound, a member whose role may not do a thing gets
`pairing.NotPermitted`, and what the trainee does not share does not exist for the partner.
The rules themselves are decided in `easein.domain`, never here.
"""
