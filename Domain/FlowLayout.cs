namespace Enrollment.Domain;

public enum FlowLayout { Stacked, ContentLeft, ContentRight, SidebarLeft, SidebarRight }
