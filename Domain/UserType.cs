namespace Enrollment.Domain;

public enum UserType { Internal, External, ServiceAccount, InternalServiceAccount }
