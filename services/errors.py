"""Outcomes a service reports to its caller; handlers turn them into kind, translated answers."""


class ServiceError(Exception):
    pass


class NotAllowed(ServiceError):
    """The actor may not see or change that record (already audited)."""


class NotFound(ServiceError):
    pass


class InvalidInput(ServiceError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
