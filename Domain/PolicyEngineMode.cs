namespace Enrollment.Domain;

public enum PolicyEngineMode { Any, All }
