namespace Enrollment.Domain;

public enum TokenIntent { Api, Verification, AppPassword, Recovery }
