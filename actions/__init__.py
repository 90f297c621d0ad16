"""Custom actions: the few replies that need logic (school details, opening hours).

Every sentence they send is a response in domain.yml; these actions only choose one and
fill in details from schools.yml and services.yml. Nothing safety-critical lives here.
"""
