# Installs ragmail as a Windows service with NSSM (https://nssm.cc). Run in an elevated PowerShell.
#   .\install-ragmail-service.ps1 -Jar C:\ragmail\ragmail.jar -Home C:\ragmail
# See docs/deployment.md. Not tested on Windows in CI (no Windows host); the settings mirror the systemd unit.
param(
    [string]$Jar = "C:\ragmail\ragmail.jar",
    [string]$Home = "C:\ragmail",
    [string]$Java = "java.exe",
    [string]$Nssm = "nssm.exe",
    [string]$ServiceName = "ragmail"
)
$ErrorActionPreference = "Stop"
New-Item -ItemType Directory -Force -Path "$Home\data", "$Home\data\logs" | Out-Null

# The .env holds passwords: only SYSTEM and Administrators may read it (the chmod 600 of Windows).
$envFile = "$Home\ragmail.env"
if (Test-Path $envFile) {
    icacls $envFile /inheritance:r /grant:r "SYSTEM:(R)" "Administrators:(F)" | Out-Null
}

& $Nssm install $ServiceName $Java "-Xms128m -Xmx512m -XX:MaxDirectMemorySize=64m -XX:+ExitOnOutOfMemoryError -jar `"$Jar`" run --env-file `"$envFile`" --config `"$Home\ragmail.properties`" --no-console-log"
& $Nssm set $ServiceName AppDirectory $Home
& $Nssm set $ServiceName AppEnvironmentExtra "RAGMAIL_DATA_DIR=$Home\data"
& $Nssm set $ServiceName DisplayName "ragmail - answers customer e-mail"
& $Nssm set $ServiceName Start SERVICE_AUTO_START
# Stop: Ctrl+C first (ragmail handles it like SIGINT: finishes mail in flight), up to 45 s, then end the process
& $Nssm set $ServiceName AppStopMethodSkip 0
& $Nssm set $ServiceName AppStopMethodConsole 45000
& $Nssm set $ServiceName AppStopMethodWindow 5000
& $Nssm set $ServiceName AppStopMethodThreads 5000
# Restart after a crash, with a 5 s delay; exit 2 (configuration) and 4 (another instance) need a person
& $Nssm set $ServiceName AppExit Default Restart
& $Nssm set $ServiceName AppExit 2 Exit
& $Nssm set $ServiceName AppExit 4 Exit
& $Nssm set $ServiceName AppRestartDelay 5000
& $Nssm set $ServiceName AppThrottle 15000
# ragmail writes its own capped logs in data\logs; these only catch JVM crashes, rotated by size
& $Nssm set $ServiceName AppStdout "$Home\data\logs\service-console.log"
& $Nssm set $ServiceName AppStderr "$Home\data\logs\service-console.log"
& $Nssm set $ServiceName AppRotateFiles 1
& $Nssm set $ServiceName AppRotateOnline 1
& $Nssm set $ServiceName AppRotateBytes 10485760
Write-Host "Installed. Check the configuration first:  $Java -jar `"$Jar`" check-config --env-file `"$envFile`""
Write-Host "Then: Start-Service $ServiceName ; status: $Java -jar `"$Jar`" status"
