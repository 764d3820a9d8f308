namespace Enrollment.Domain;

public enum DeniedAction { MessageContinue, Message, Continue }
