namespace Enrollment.Domain;

public enum FlowAuthentication { None, RequireAuthenticated, RequireUnauthenticated, RequireSuperuser, RequireRedirect, RequireOutpost }
