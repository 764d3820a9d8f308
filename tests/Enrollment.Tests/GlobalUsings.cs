// The stage kinds and the flow engine, which most tests arrange or drive.
global using Enrollment.Features.FlowExecution;
global using Enrollment.Features.Stages.Deny;
global using Enrollment.Features.Stages.Email;
global using Enrollment.Features.Stages.Invitation;
global using Enrollment.Features.Stages.Prompt;
global using Enrollment.Features.Stages.Shared;
global using Enrollment.Features.Stages.UserLogin;
global using Enrollment.Features.Stages.UserWrite;
