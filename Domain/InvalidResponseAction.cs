namespace Enrollment.Domain;

public enum InvalidResponseAction { Retry, Restart, RestartWithContext }
