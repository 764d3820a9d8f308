using System.Security.Claims;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Identity;

public sealed class SuperuserRequirement : IAuthorizationRequirement;
