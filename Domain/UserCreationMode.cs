namespace Enrollment.Domain;

public enum UserCreationMode { CreateWhenRequired, AlwaysCreate, NeverCreate }
