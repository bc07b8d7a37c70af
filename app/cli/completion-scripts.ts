/** One command as completion sees it: its name and its options (without the leading --). */
export interface CompletionCommand {
  name: string;
  options: string[];
}

/**
 * Shell completion scripts generated from the command table (commands/index.ts and each command's options), so
 * they cannot drift from what the CLI accepts. Command names complete first, then that command's options and the
 * global ones.
 */
export function completionScript(shell: string, cmds: CompletionCommand[], globals: string[]): string | undefined {
  const names = cmds.map((c) => c.name).join(' ');
  const opts = (c: CompletionCommand) => [...c.options, ...globals].map((o) => `--${o}`).join(' ');
  switch (shell) {
    case 'bash':
      return [
        '# keytalk-agent bash completion: eval "$(keytalk-agent completion bash)"',
        '_keytalk_agent() {',
        '  local cur="${COMP_WORDS[COMP_CWORD]}" cmd="" i',
        '  for ((i = 1; i < COMP_CWORD; i++)); do',
        '    case "${COMP_WORDS[i]}" in --home) ((i++)) ;; --*) ;; *) cmd="${COMP_WORDS[i]}"; break ;; esac',
        '  done',
        '  local words',
        '  case "$cmd" in',
        ...cmds.map((c) => `    ${c.name}) words="${opts(c)}" ;;`),
        `    *) words="${names} ${globals.map((g) => `--${g}`).join(' ')}" ;;`,
        '  esac',
        '  COMPREPLY=($(compgen -W "$words" -- "$cur"))',
        '}',
        'complete -F _keytalk_agent keytalk-agent',
        '',
      ].join('\n');
    case 'zsh':
      // zsh runs the bash function through bashcompinit: one generated table for both shells.
      return `# keytalk-agent zsh completion: eval "$(keytalk-agent completion zsh)"\nautoload -U +X bashcompinit && bashcompinit\n${completionScript('bash', cmds, globals)!}`;
    case 'fish':
      return [
        '# keytalk-agent fish completion: keytalk-agent completion fish | source',
        `complete -c keytalk-agent -f -n __fish_use_subcommand -a '${names}'`,
        ...cmds.flatMap((c) =>
          [...c.options, ...globals].map(
            (o) => `complete -c keytalk-agent -f -n '__fish_seen_subcommand_from ${c.name}' -l ${o}`,
          ),
        ),
        '',
      ].join('\n');
    case 'powershell':
      return [
        '# keytalk-agent PowerShell completion: keytalk-agent completion powershell | Out-String | Invoke-Expression',
        'Register-ArgumentCompleter -Native -CommandName keytalk-agent -ScriptBlock {',
        '  param($wordToComplete, $commandAst, $cursorPosition)',
        `  $commands = @{ ${cmds.map((c) => `'${c.name}' = @(${[...c.options, ...globals].map((o) => `'--${o}'`).join(', ')})`).join('; ')} }`,
        '  $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })',
        '  $cmd = $words | Where-Object { $commands.ContainsKey($_) } | Select-Object -First 1',
        '  $candidates = if ($cmd) { $commands[$cmd] } else { $commands.Keys }',
        '  $candidates | Where-Object { $_ -like "$wordToComplete*" } | Sort-Object | ForEach-Object {',
        "    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)",
        '  }',
        '}',
        '',
      ].join('\n');
    default:
      return undefined;
  }
}
