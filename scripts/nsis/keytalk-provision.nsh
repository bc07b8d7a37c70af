; KeyTalk Agent NSIS installer (electron-builder.yml nsis.include): /RCCD= and /POLICY= place an RCCD and a policy.json
; in %ProgramData%\KeyTalk Agent, the folders the agent reads on Windows (app/policy/load-policy.ts) - the NSIS
; counterpart of the MSI's RCCD= and POLICY= properties (scripts/msi/). docs/deployment.md section 6.
;
;   keytalk-agent-<version>-win.exe /S /allusers /RCCD=\\fs01\deploy\company.rccd /POLICY=\\fs01\deploy\policy.json
;   (a value with spaces: /RCCD="C:\Deploy files\company.rccd"; one RCCD per installer run)
;
; customInit (electron-builder's .onInit, before anything is installed) checks the options; a bad one stops the
; installer with exit code 2 and a message naming the option and the fix, in a message box or, with /S, appended to
; %TEMP%\keytalk-agent-install.log. Refused: no /allusers, a path that is not full, a missing, empty or unreadable
; file, an RCCD not named *.rccd or not a zip, a POLICY that is UTF-16 or does not start with "{".
; customInstall (the install section, after the program files, elevated), on every per-machine install, makes
; Administrators the owner of %ProgramData%\KeyTalk Agent, lets only SYSTEM and Administrators write in it and Users
; read only the folder, its files and rccd\ (like the MSI), then copies each file to a temporary name beside its target and renames it over the old one, so a running
; agent never reads half a file. The uninstaller leaves
; the files: they are the organisation's configuration.
; scripts/msi/nsis.test.ts compiles this include with makensis (-WX, as electron-builder does).

!include FileFunc.nsh
!include LogicLib.nsh

!ifndef BUILD_UNINSTALLER
Var ktRccd
Var ktPolicy
Var ktData

; Stops the installer: message on the stack.
Function ktFail
  Exch $0
  ClearErrors
  FileOpen $1 "$TEMP\keytalk-agent-install.log" a
  ${IfNot} ${Errors}
    FileSeek $1 0 END
    FileWrite $1 "KeyTalk Agent: $0$\r$\n"
    FileClose $1
  ${EndIf}
  MessageBox MB_ICONSTOP|MB_OK "KeyTalk Agent: $0" /SD IDOK
  SetErrorLevel 2
  Quit
FunctionEnd

!macro ktFail TEXT
  Push "${TEXT}"
  Call ktFail
!macroend

; Checks one option's file. Stack (top first): option name (RCCD or POLICY), path.
Function ktCheckFile
  Exch $R7 ; option
  Exch
  Exch $R8 ; path
  Push $R0
  Push $R1
  Push $R2
  StrCpy $R0 $R8 2
  StrCpy $R1 $R8 2 1
  ${If} $R0 != "\\"
  ${AndIf} $R1 != ":\"
    !insertmacro ktFail "/$R7=$R8 is not a full path; give one like C:\Deploy\file or \\server\share\file."
  ${EndIf}
  ${If} ${FileExists} "$R8\*.*"
    !insertmacro ktFail "/$R7=$R8 is a folder; give the file."
  ${EndIf}
  ClearErrors
  FileOpen $R0 "$R8" r
  ${If} ${Errors}
    !insertmacro ktFail "/$R7=$R8 was not found or cannot be read. Check the path; a share must be readable by the account that installs (SYSTEM reads shares as the computer account DOMAIN\COMPUTER$$)."
  ${EndIf}
  FileSeek $R0 0 END $R1
  FileSeek $R0 0 SET
  ${If} $R1 == 0
    FileClose $R0
    !insertmacro ktFail "/$R7=$R8 is empty."
  ${EndIf}
  ${If} $R7 == "RCCD"
    StrCpy $R1 $R8 "" -5
    ${If} $R1 != ".rccd"
      FileClose $R0
      !insertmacro ktFail "/RCCD=$R8 does not end in .rccd (the agent imports only *.rccd files)."
    ${EndIf}
    FileReadByte $R0 $R1
    FileReadByte $R0 $R2
    FileClose $R0
    ${If} $R1 != 80 ; P
    ${OrIf} $R2 != 75 ; K
      !insertmacro ktFail "/RCCD=$R8 is not an RCCD (an RCCD is a zip file)."
    ${EndIf}
  ${Else}
    ; UTF-16 has a NUL within its first bytes; JSON must open with "{" after white space.
    ${For} $R2 1 4
      ClearErrors
      FileReadByte $R0 $R1
      ${If} ${Errors}
        ${Break}
      ${EndIf}
      ${If} $R1 = 0
        FileClose $R0
        !insertmacro ktFail "/POLICY=$R8 looks like UTF-16 text; save it as UTF-8."
      ${EndIf}
    ${Next}
    ; A UTF-8 byte-order mark (EF BB BF) is skipped: the agent reads such a policy.json.
    FileSeek $R0 0 SET
    FileReadByte $R0 $R1
    FileReadByte $R0 $R2
    ${If} $R1 = 239
    ${AndIf} $R2 = 187
      FileReadByte $R0 $R1
      ${If} $R1 != 191
        FileSeek $R0 0 SET
      ${EndIf}
    ${Else}
      FileSeek $R0 0 SET
    ${EndIf}
    ${Do}
      ClearErrors
      FileReadByte $R0 $R1
      ${If} ${Errors}
        StrCpy $R1 -1
        ${Break}
      ${EndIf}
      ${If} $R1 != 32
      ${AndIf} $R1 != 9
      ${AndIf} $R1 != 10
      ${AndIf} $R1 != 13
        ${Break}
      ${EndIf}
    ${Loop}
    FileClose $R0
    ${If} $R1 != 123 ; {
      !insertmacro ktFail "/POLICY=$R8 is not a JSON object: it must start with $\"{$\" (UTF-8)."
    ${EndIf}
  ${EndIf}
  Pop $R2
  Pop $R1
  Pop $R0
  Pop $R8
  Pop $R7
FunctionEnd

; Copies a file to a temporary name beside the target, then renames it over the old one. Stack: source, target.
Function ktPlace
  Exch $R1 ; target
  Exch
  Exch $R0 ; source
  ClearErrors
  CopyFiles /SILENT /FILESONLY "$R0" "$R1.installing"
  ${IfNot} ${Errors}
    Delete "$R1"
    Rename "$R1.installing" "$R1"
  ${EndIf}
  ${If} ${Errors}
    Delete "$R1.installing"
    !insertmacro ktFail "could not place $R0 as $R1."
  ${EndIf}
  DetailPrint "KeyTalk Agent: placed $R0 as $R1"
  Pop $R0
  Pop $R1
FunctionEnd

; Runs icacls on a folder with arguments. Stack (top first): arguments, folder. A failure stops the installer.
Function ktIcacls
  Exch $R1 ; arguments
  Exch
  Exch $R0 ; folder
  Push $R2
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$R0" $R1'
  Pop $R2
  ${If} $R2 != 0
    !insertmacro ktFail "could not secure $R0: icacls $R1 exited with $R2"
  ${EndIf}
  Pop $R2
  Pop $R0
  Pop $R1
FunctionEnd

; The MSI's steps (scripts/msi/keytalk-provision.jscript LOCK_STEPS says why): SUBFOLDER is "" or "\rccd".
!macro ktIcacls SUBFOLDER ARGS
  Push "$ktData${SUBFOLDER}"
  Push "${ARGS}"
  Call ktIcacls
!macroend

!macro customInit
  Push $R0
  Push $R1
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/RCCD=" $ktRccd
  ClearErrors
  ${GetOptions} $R0 "/POLICY=" $ktPolicy
  ${If} $ktRccd != ""
  ${OrIf} $ktPolicy != ""
    ClearErrors
    ${GetOptions} $R0 "/allusers" $R1
    ${If} ${Errors}
      !insertmacro ktFail "/RCCD and /POLICY place machine-wide files in %ProgramData%\KeyTalk Agent and need a per-machine install: add /allusers."
    ${EndIf}
  ${EndIf}
  ${If} $ktRccd != ""
    Push $ktRccd
    Push RCCD
    Call ktCheckFile
  ${EndIf}
  ${If} $ktPolicy != ""
    Push $ktPolicy
    Push POLICY
    Call ktCheckFile
  ${EndIf}
  Pop $R1
  Pop $R0
!macroend

!macro customInstall
  ; Per machine ($installMode is electron-builder's): lock the folder down as the MSI does
  ; (scripts/msi/keytalk-provision.jscript lockFolder says why), then place the files.
  ${If} $installMode == "all"
    ReadEnvStr $ktData ProgramData
    StrCpy $ktData "$ktData\KeyTalk Agent"
    CreateDirectory "$ktData\rccd"
    !insertmacro ktIcacls "" "/setowner *S-1-5-32-544 /T /C /Q"
    !insertmacro ktIcacls "" "/reset /T /C /Q"
    !insertmacro ktIcacls "" "/inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(NP)RX /Q"
    !insertmacro ktIcacls "\rccd" "/grant:r *S-1-5-32-545:(OI)(CI)RX /Q"
    ${If} $ktRccd != ""
      Push $R1
      ${GetFileName} $ktRccd $R1
      Push $ktRccd
      Push "$ktData\rccd\$R1"
      Call ktPlace
      Pop $R1
    ${EndIf}
    ${If} $ktPolicy != ""
      Push $ktPolicy
      Push "$ktData\policy.json"
      Call ktPlace
    ${EndIf}
  ${EndIf}
!macroend
!endif
