namespace Enrollment.Tests.Infrastructure.Blueprints;

/// <summary>Blueprints as admins write them for authentik; <c>PREFIX</c> keeps each test's objects apart.</summary>
public static class Samples
{
    /// <summary>authentik's invitation-based enrollment example, with every model Enrollment imports.</summary>
    public static string Enrollment(string prefix) => """
        version: 1
        metadata:
          name: Example - Invitation-based Enrollment
          labels:
            blueprints.goauthentik.io/instantiate: "false"
        entries:
        - identifiers:
            slug: PREFIX-enrollment
          model: authentik_flows.flow
          id: flow
          attrs:
            name: PREFIX enrollment
            title: Welcome to PREFIX!
            designation: enrollment
            authentication: require_unauthenticated
            compatibility_mode: true
        - identifiers:
            name: PREFIX-group
          model: authentik_core.group
          id: group
          attrs:
            is_superuser: false
            attributes:
              zone: eu-west
              department: Engineering
              limits: {seats: 10, a: 1}
        - identifiers:
            name: PREFIX-field-username
          id: prompt-field-username
          model: authentik_stages_prompt.prompt
          attrs:
            field_key: username
            label: Username
            type: username
            placeholder: Username
            placeholder_expression: false
            required: true
            order: 0
        - identifiers:
            name: PREFIX-field-email
          id: prompt-field-email
          model: authentik_stages_prompt.prompt
          attrs:
            field_key: email
            label: Email
            prompt_type: email
            placeholder: Email
            order: 1
        - identifiers:
            name: PREFIX-field-password
          id: prompt-field-password
          model: authentik_stages_prompt.prompt
          attrs:
            field_key: password
            label: Password
            type: password
            order: 2
        - identifiers:
            name: PREFIX-check-email
          id: policy
          model: authentik_policies_expression.expressionpolicy
          attrs:
            expression: |
              prompt_data = context.get('prompt_data', {})
              return prompt_data.get('email', '').endswith('@example.com')
        - identifiers:
            name: PREFIX-invitation
          id: stage-invitation
          model: authentik_stages_invitation.invitationstage
          attrs:
            continue_flow_without_invitation: false
        - identifiers:
            name: PREFIX-prompts
          id: stage-prompts
          model: authentik_stages_prompt.promptstage
          attrs:
            fields:
            - !KeyOf prompt-field-username
            - !KeyOf prompt-field-email
            - !KeyOf prompt-field-password
            validation_policies:
            - !KeyOf policy
        - identifiers:
            name: PREFIX-write
          id: stage-write
          model: authentik_stages_user_write.userwritestage
          attrs:
            user_creation_mode: always_create
            create_users_as_inactive: false
            create_users_group: !KeyOf group
            user_type: external
            user_path_template: users/PREFIX
        - identifiers:
            name: PREFIX-login
          id: stage-login
          model: authentik_stages_user_login.userloginstage
          attrs:
            session_duration: hours=8
            remember_me_offset: days=30
            terminate_other_sessions: true
        - identifiers:
            target: !KeyOf flow
            stage: !KeyOf stage-invitation
            order: 10
          model: authentik_flows.flowstagebinding
        - identifiers:
            target: !KeyOf flow
            stage: !KeyOf stage-prompts
            order: 20
          id: binding-prompts
          model: authentik_flows.flowstagebinding
          attrs:
            evaluate_on_plan: false
            re_evaluate_policies: true
            invalid_response_action: restart_with_context
        - identifiers:
            target: !KeyOf flow
            stage: !KeyOf stage-write
            order: 30
          model: authentik_flows.flowstagebinding
        - identifiers:
            target: !KeyOf flow
            stage: !KeyOf stage-login
            order: 40
          model: authentik_flows.flowstagebinding
        - identifiers:
            target: !KeyOf binding-prompts
            policy: !KeyOf policy
            order: 0
          model: authentik_policies.policybinding
          attrs:
            negate: false
            timeout: 30
        - identifiers:
            username: PREFIX-admin
          id: user
          model: authentik_core.user
          attrs:
            name: PREFIX Admin
            email: PREFIX-admin@example.com
            type: internal
            password: Blueprint-Tulip-Glacier-58!
            groups:
            - !KeyOf group
        - identifiers:
            target: !KeyOf flow
            group: !KeyOf group
            order: 5
          model: authentik_policies.policybinding
        - identifiers:
            name: PREFIX-welcome
          model: authentik_stages_invitation.invitation
          attrs:
            expires: 2030-01-31T12:00:00Z
            flow: !KeyOf flow
            single_use: true
            created_by: !KeyOf user
            fixed_data:
              email: PREFIX@example.com
              attributes:
                department: Engineering
        """.Replace("PREFIX", prefix);

    /// <summary>A small valid blueprint: one flow.</summary>
    public static string Flow(string slug, string title = "A title") => $"""
        version: 1
        metadata:
          name: one flow
        entries:
        - model: authentik_flows.flow
          id: flow
          identifiers:
            slug: {slug}
          attrs:
            name: Flow {slug}
            title: {title}
            designation: enrollment
        """;
}
