namespace Enrollment.Domain;

public enum FlowDesignation { Authentication, Authorization, Invalidation, Enrollment, Unenrollment, Recovery, StageConfiguration }
